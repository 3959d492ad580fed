using System.Security.Cryptography;

namespace Journeys.Hosting.Tracking;

/// <summary>
/// serve's tracking secret when configuration gives none: 32 random bytes (base64) generated into the data
/// folder on first start, readable by the owner only (mode 600), and reused after, so links in sent mail
/// keep working across restarts.
/// </summary>
public static class TrackingSecretFile
{
    public const string FileName = "tracking.key";

    public static string LoadOrCreate(string dataFolder)
    {
        var path = Path.Combine(dataFolder, FileName);
        if (!File.Exists(path))
        {
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using var file = new FileStream(path, options);
                using var writer = new StreamWriter(file);
                writer.Write(secret);
                writer.Flush();
                file.Flush(flushToDisk: true);
                return secret;
            }
            catch (IOException) when (File.Exists(path))
            {
                // created by someone else meanwhile: read theirs
            }
        }
        var text = File.ReadAllText(path).Trim();
        return text.Length > 0 ? text : throw new InvalidDataException($"{path}: the tracking secret file is empty; delete it to generate a new one");
    }
}
