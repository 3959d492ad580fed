using System.Text;
using Journeys.Local.Cli;

// Buffered stdout: a simulation can print millions of trace lines, and Console.Out flushes each one.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8, 1 << 16) { AutoFlush = false };
using var stderr = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true };
var exit = JourneysCli.Run(args, stdout, stderr);
stdout.Flush();
return exit;
