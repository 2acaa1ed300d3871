using System.Data;
using Dapper;

namespace TransferHub.ServiceDefaults;

/// <summary>
/// Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; records use <see cref="DateTimeOffset"/>. This handler lets
/// Dapper map between them (and writes UTC, which is what timestamptz accepts). Dapper's constructor matching for
/// records also needs a handler for <c>string[]</c> (text[] columns report <see cref="Array"/> as their field type);
/// with it, string[] parameters go to Npgsql as native arrays.
/// </summary>
public static class DapperDefaults
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
            SqlMapper.AddTypeHandler(new StringArrayHandler());
            SqlMapper.AddTypeHandler(new DateOnlyHandler());
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

    /// <summary>date columns: DateOnly parameters go to Npgsql as dates; dates read back as DateOnly.</summary>
    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateOnly."),
        };
    }

    private sealed class StringArrayHandler : SqlMapper.TypeHandler<string[]>
    {
        public override void SetValue(IDbDataParameter parameter, string[]? value) => parameter.Value = (object?)value ?? DBNull.Value;

        public override string[] Parse(object value) => value switch
        {
            string[] strings => strings,
            Array array => array.Cast<object?>().Select(item => item?.ToString() ?? string.Empty).ToArray(),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as string[]."),
        };
    }
}
