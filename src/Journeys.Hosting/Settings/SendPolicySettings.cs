using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Hosting.Settings;

/// <summary>
/// The send policies (quiet hours, frequency cap, global control, rate limits: schemas/settings.schema.json) as
/// every host takes them, once at startup: a setting whose value is either the JSON itself (an app setting on
/// Azure, where no file sits beside the app) or the path of a JSON file (serve's <c>--settings</c>). Core's
/// <see cref="EngineSettingsReader"/> reads them, so every runner accepts and refuses the same text.
/// </summary>
public static class SendPolicySettings
{
    /// <param name="name">What the value is called in a problem when it is JSON itself (the setting's name).</param>
    /// <param name="value">JSON text (its first non-blank character is <c>{</c>), a file path, or nothing.</param>
    /// <param name="baseDirectory">Where a relative path is looked for.</param>
    /// <returns>The options; <see cref="EngineOptions.Default"/> when <paramref name="value"/> is empty.</returns>
    /// <exception cref="InvalidDataException">The settings have problems (each on its own line, as validate prints them).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EngineOptions Load(string name, string? value, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return EngineOptions.Default;
        }
        var text = IsInline(value) ? value : File.ReadAllText(Path.Combine(baseDirectory, value));
        var (options, problems) = EngineSettingsReader.Read(SourceName(name, value), text);
        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, problems));
        }
        return options;
    }

    /// <summary>What problems with <paramref name="value"/> are named by: the setting's name when it holds the JSON itself, else the file.</summary>
    public static string SourceName(string name, string? value) => string.IsNullOrWhiteSpace(value) || IsInline(value) ? name : value;

    private static bool IsInline(string value) => value.TrimStart().StartsWith('{');
}
