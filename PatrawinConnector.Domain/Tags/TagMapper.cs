using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.Tags;

/// <summary>
/// A case or client as a WiseTime tag (wisetime-patrawin.md section g): name = the number, description = the trimmed
/// catchword or short name, path = TAG_UPSERT_PATH, the number as a keyword. Rows that cannot be a valid tag are
/// skipped with a reason the job logs.
/// </summary>
public static class TagMapper
{
    /// <summary>What <see cref="char.IsControl(char)"/> accepts (C0, DEL and C1), searched vectorised: a first sync maps a million rows.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(char.IsControl).ToArray());

    public static bool TryMap(TagRow row, string path, [NotNullWhen(true)] out UpsertTagRequest? tag, [NotNullWhen(false)] out string? skipReason)
    {
        tag = null;
        var name = row.Number.Trim();
        if (name.Length == 0)
        {
            skipReason = "its number is blank";
            return false;
        }
        if (name.AsSpan().ContainsAny(ControlCharacters))
        {
            skipReason = "its number contains control characters (tabs or line breaks)";
            return false;
        }
        if (row.SharesNumberWithCase)
        {
            skipReason = "a case has the same number, and WiseTime has one tag per name: the tag stays the case's";
            return false;
        }

        tag = new UpsertTagRequest
        {
            Name = name,
            Description = Clean(row.Description),
            Path = path,
            AdditionalKeywords = [name],
        };
        skipReason = null;
        return true;
    }

    /// <summary>Trimmed, control characters as spaces; empty when there is none (an empty description leaves WiseTime's as it is).</summary>
    private static string Clean(string? description) =>
        description is null ? string.Empty
        : description.AsSpan().ContainsAny(ControlCharacters) ? new string(description.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim()
        : description.Trim();
}
