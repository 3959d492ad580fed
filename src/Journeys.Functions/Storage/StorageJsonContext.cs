using System.Text.Json.Serialization;

namespace Journeys.Functions.Storage;

/// <summary>Source-generated JSON for what the storage layer keeps as text besides Core's own types.</summary>
[JsonSerializable(typeof(List<DateTimeOffset>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
