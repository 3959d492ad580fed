using Journeys.Local.Storage;

namespace Journeys.Local.Server.Delivery;

/// <summary>Prints each message's line on standard output (development: watch what the journeys send).</summary>
public sealed class ConsoleProvider(TextWriter output) : IChannelProvider
{
    public string Name => "console";

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancel)
    {
        lock (output)
        {
            foreach (var message in messages)
            {
                output.WriteLine(message.Line);
            }
            output.Flush();
        }
        return Task.FromResult<IReadOnlyList<DeliveryResult>>(messages.Select(_ => DeliveryResult.Done).ToArray());
    }
}
