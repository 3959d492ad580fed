using System.Buffers;
using System.Text;
using System.Text.Json;
using Journeys.Core.Audience;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// <see cref="Value"/>s as JSON text columns. Each store keeps one, so the writer and its buffer
/// are reused across calls (stores are used by one thread at a time); reading goes through
/// <see cref="ValueReader"/>, which interns the names and short strings that repeat across rows.
/// </summary>
internal sealed class SqliteJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public SqliteJson() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>The value as JSON, or DBNull for a missing value (so it comes back missing, not null).</summary>
    public object Write(Value value)
    {
        if (value.IsMissing)
        {
            return DBNull.Value;
        }
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        value.WriteTo(_writer);
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <summary>The column's value: missing when NULL (see <see cref="Write"/>).</summary>
    public static Value Read(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? Value.Missing : Read(row.GetString(ordinal));

    public static Value Read(string json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            if (!reader.Read())
            {
                throw new JsonException("empty JSON column");
            }
            return ValueReader.Read(ref reader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
