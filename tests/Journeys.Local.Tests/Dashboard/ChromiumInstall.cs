using System.Diagnostics;

namespace Journeys.Local.Tests.Dashboard;

/// <summary>
/// Installs Debian's chromium for the dashboard tests when it is missing and this process may (root, or sudo without
/// a password), so <c>dotnet test</c> on a fresh machine needs no set-up; otherwise says the one command to run.
/// </summary>
internal static class ChromiumInstall
{
    public const string Command = "sudo apt-get install -y --no-install-recommends chromium";

    /// <exception cref="InvalidOperationException">It could not be installed (the message has the command to run).</exception>
    public static void EnsureInstalled(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        string[] asRoot = Environment.IsPrivilegedProcess ? [] : Succeeds("sudo", "-n", "true") ? ["sudo", "-n"] : ["none"];
        if (asRoot is ["none"])
        {
            throw new InvalidOperationException($"the dashboard tests need Debian's chromium at {path}; install it with: {Command}");
        }
        if (!Succeeds([.. asRoot, "apt-get", "update", "-q"]) || !Succeeds([.. asRoot, "apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]) || !File.Exists(path))
        {
            throw new InvalidOperationException($"installing Debian's chromium with apt-get failed, and the dashboard tests need it at {path}: run {Command}");
        }
    }

    private static bool Succeeds(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program (no sudo, no apt-get)
        }
    }
}
