namespace Lgsp.Server.Tests.Inbound.Axis.Sdk;

/// <summary>The iteration order of a Java 8 <c>HashMap&lt;String,String&gt;</c> (default capacity 16,
/// load factor 0.75): entries by bucket <c>(h ^ h &gt;&gt;&gt; 16) &amp; (capacity - 1)</c> of
/// <c>String.hashCode</c>, then in insertion order within a bucket (resizing keeps that order).
/// Replacing a value keeps the entry's place.</summary>
/// <remarks>Not thread safe.</remarks>
internal sealed class JavaHashMap
{
    private readonly List<(string Key, string Value)> _inserted = [];
    private int _capacity = 16;

    public void Put(string key, string value)
    {
        var index = _inserted.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            _inserted[index] = (key, value);
            return;
        }

        _inserted.Add((key, value));
        if (_inserted.Count > _capacity * 3 / 4)
        {
            _capacity *= 2;
        }
    }

    public string? Get(string key) => _inserted.FirstOrDefault(e => e.Key == key).Value;

    public IEnumerable<KeyValuePair<string, string>> Entries => _inserted
        .Select((e, i) => (e, i, Bucket: Spread(JavaHashCode(e.Key)) & (_capacity - 1)))
        .OrderBy(x => x.Bucket).ThenBy(x => x.i)
        .Select(x => new KeyValuePair<string, string>(x.e.Key, x.e.Value));

    private static int Spread(int h) => h ^ (int)((uint)h >> 16);

    private static int JavaHashCode(string s)
    {
        var h = 0;
        foreach (var c in s)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }
}
