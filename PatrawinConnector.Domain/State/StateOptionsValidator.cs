using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.State;

internal sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDir) || options.DataDir.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return ValidateOptionsResult.Fail("DATA_DIR must be a directory path. Example: DATA_DIR=/usr/local/wisetime-connector/data");
        }

        try
        {
            Directory.CreateDirectory(options.FullDataDir);
            var probe = Path.Combine(options.FullDataDir, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(
                $"DATA_DIR '{options.FullDataDir}' is not a writable directory ({e.GetType().Name}). Example: DATA_DIR=/usr/local/wisetime-connector/data");
        }
    }
}
