using System.Data;
using Dapper;

namespace TransferHub.ServiceDefaults;

/// <summary>
/// Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; records use <see cref="DateTimeOffset"/>. This handler lets
/// Dapper map between them (and writes UTC, which is what timestamptz accepts).
/// </summary>
public static class DapperDefaults
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        }
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.UtcDateTime;

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateTimeOffset."),
        };
    }
}
