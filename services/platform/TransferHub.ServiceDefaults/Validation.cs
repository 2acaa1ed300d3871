using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TransferHub.ServiceDefaults;

/// <summary>Collects field errors for one request; <see cref="ToProblem"/> gives the 400 answer naming each field.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    /// <summary>The errors so far: field → messages.</summary>
    public IEnumerable<(string Field, IReadOnlyList<string> Messages)> Errors => errors.Select(e => (e.Key, (IReadOnlyList<string>)e.Value));

    public Validation Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    public Validation Require(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters (was {value.Length}).");
        }
        else if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            Add(field, $"'{field}' contains control characters.");
        }
        return this;
    }

    public Validation Optional(string field, string? value, int maxLength) =>
        value is null ? this : Require(field, value, maxLength);

    public Validation Check(bool condition, string field, string message) => condition ? this : Add(field, message);

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request has invalid fields.");
}
