namespace Journeys.Core.Runtime.InMemory;

/// <summary>
/// Per-user values with a one-entry cache: processing one event asks every store about the same
/// user, with the same string instance, so after the first look-up the rest are a reference check.
/// </summary>
internal sealed class UserMap<T>
    where T : class
{
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);
    private string? _lastUser;
    private T? _lastValue;

    public IEnumerable<KeyValuePair<string, T>> Entries => _values;

    public T? Find(string userId)
    {
        if (ReferenceEquals(userId, _lastUser))
        {
            return _lastValue;
        }
        var value = _values.GetValueOrDefault(userId);
        if (value is not null)
        {
            (_lastUser, _lastValue) = (userId, value);
        }
        return value;
    }

    public T GetOrAdd(string userId, Func<T> create)
    {
        if (Find(userId) is { } existing)
        {
            return existing;
        }
        var value = create();
        Set(userId, value);
        return value;
    }

    public void Set(string userId, T value)
    {
        _values[userId] = value;
        (_lastUser, _lastValue) = (userId, value);
    }
}
