using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Communication.Email;
using Azure.Communication.Sms;
using Azure.Core;
using Journeys.Core.Engine;
using Journeys.Hosting.Webhooks;

namespace Journeys.Functions.Channels;

/// <summary>
/// Email and SMS through Azure Communication Services with the app's managed identity. Email carries an
/// operation id derived from the message's idempotency key, so a retried activity does not send twice;
/// the SMS API has no such key, so an SMS whose activity failed after the provider accepted it may go
/// twice (at-least-once). Addresses and message text are never logged. Before each send, <see cref="AcsMessageMap"/>
/// records which enrollment the message is, for the delivery and engagement reports Event Grid brings back
/// (Api/AcsEventsApi); SMS asks for delivery reports, tagged with the idempotency key.
/// </summary>
public sealed class AcsChannels(JourneysSettings settings, TokenCredential credential, TimeProvider time, AcsMessageMap map)
{
    private readonly Lazy<EmailClient> _email = new(() => new EmailClient(Endpoint(settings), credential));
    private readonly Lazy<SmsClient> _sms = new(() => new SmsClient(Endpoint(settings), credential));

    public Task SendEmailAsync(SendMessage message, CancellationToken cancellation) => InlineRetry.RunAsync(async () =>
    {
        var sender = settings.EmailSender ?? throw new InvalidOperationException("Acs__emailSender is not set");
        map.Record(message);
        var content = new EmailContent(message.Content.GetValueOrDefault("subject") ?? "")
        {
            Html = message.Content.GetValueOrDefault("body"),
            PlainText = message.Content.GetValueOrDefault("text"),
        };
        try
        {
            // WaitUntil.Started: ACS accepted it; delivery is ACS's job, not worth holding the activity for
            await _email.Value.SendAsync(WaitUntil.Started, new EmailMessage(sender, message.To, content), OperationId(message.IdempotencyKey), cancellation);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // an operation with this id exists: the message was accepted by an earlier attempt
        }
        catch (RequestFailedException e) when (e.Status is 429 or 503)
        {
            throw new ThrottledException("email", RetryAfterHeader.Wait(e.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var after) == true ? after : null, time.GetUtcNow()));
        }
    }, time, cancellation);

    public Task SendSmsAsync(SendMessage message, CancellationToken cancellation) => InlineRetry.RunAsync(async () =>
    {
        var from = settings.SmsFrom ?? throw new InvalidOperationException("Acs__smsFrom is not set");
        var options = new SmsSendOptions(enableDeliveryReport: true) { Tag = message.IdempotencyKey };
        map.Record(message);
        Response<SmsSendResult> response;
        try
        {
            response = await _sms.Value.SendAsync(from, message.To, message.Content.GetValueOrDefault("text") ?? "", options, cancellation);
        }
        catch (RequestFailedException e) when (e.Status is 429 or 503)
        {
            throw new ThrottledException("sms", RetryAfterHeader.Wait(e.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var after) == true ? after : null, time.GetUtcNow()));
        }
        if (!response.Value.Successful)
        {
            if (response.Value.HttpStatusCode is 429 or 503)
            {
                throw new ThrottledException("sms", null);
            }
            throw new InvalidOperationException($"sms not accepted: HTTP {response.Value.HttpStatusCode}");
        }
    }, time, cancellation);

    /// <summary>A name-based id: the same idempotency key always gives the same operation id.</summary>
    internal static Guid OperationId(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5 (name-based, hash)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private static Uri Endpoint(JourneysSettings settings) =>
        settings.AcsEndpoint ?? throw new InvalidOperationException("Acs__endpoint is not set");
}
