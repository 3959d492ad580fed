using Azure;
using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Functions.Storage;
using Journeys.Hosting.Tracking;

namespace Journeys.Functions.Channels;

/// <summary>
/// What each ACS send was, by the id its reports carry: an e-mail's operation id (<see cref="AcsChannels.OperationId"/>
/// of the idempotency key, which ACS reports as <c>messageId</c>), an SMS's tag (the idempotency key itself, looked
/// up through the same id). Written before the provider is called, so no report can come before its row; a retry
/// rewrites the same row. One row per message: journey, user, enrollment, step, channel, key — no address, no content.
/// </summary>
public sealed class AcsMessageMap(JourneyTables tables)
{
    public void Record(SendMessage message)
    {
        var id = AcsChannels.OperationId(message.IdempotencyKey).ToString();
        tables.AcsMessages.UpsertEntity(new TableEntity(id, "")
        {
            ["Journey"] = message.JourneyId,
            ["User"] = message.UserId,
            ["Enrollment"] = message.EnrollmentId,
            ["Step"] = message.Step,
            ["Channel"] = SendPlanner.Name(message.Channel),
            ["Key"] = message.IdempotencyKey,
        }, TableUpdateMode.Replace);
    }

    /// <summary>The send behind an e-mail report's <c>messageId</c> (its operation id); null when Journeys did not send it.</summary>
    public EngagementEvents.Sent? ByOperationId(string operationId)
    {
        if (!Guid.TryParse(operationId, out var id))
        {
            return null;
        }
        NullableResponse<TableEntity> row = tables.AcsMessages.GetEntityIfExists<TableEntity>(id.ToString(), "");
        return row.HasValue && row.Value is { } e
            ? new EngagementEvents.Sent(e.GetString("Journey"), e.GetString("User"), e.GetString("Enrollment"), e.GetString("Step"), e.GetString("Channel"), e.GetString("Key"))
            : null;
    }

    /// <summary>The send behind an SMS report's <c>tag</c> (its idempotency key).</summary>
    public EngagementEvents.Sent? ByTag(string tag) => ByOperationId(AcsChannels.OperationId(tag).ToString());
}
