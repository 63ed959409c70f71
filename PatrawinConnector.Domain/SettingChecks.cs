namespace PatrawinConnector.Domain;

/// <summary>The one wording of a setting that is out of range, used by every options validator.</summary>
public static class SettingChecks
{
    /// <summary>Adds "NAME must be between MIN and MAX, not VALUE. Example: NAME=EXAMPLE" when the value is out of range.</summary>
    public static void InRange(List<string> failures, string name, int value, int min, int max, int example, string? qualifier = null)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} must be between {min} and {max}{qualifier}, not {value}. Example: {name}={example}");
        }
    }
}
