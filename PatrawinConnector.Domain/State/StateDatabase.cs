using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Design;

namespace PatrawinConnector.Domain.State;

/// <summary>
/// Per-connection settings of the state database: WAL readers never block the writer; NORMAL sync is durable across
/// process crashes; checkpoints are the <see cref="WalCheckpointer"/>'s, off the commit path.
/// </summary>
internal sealed class StatePragmas : DbConnectionInterceptor
{
    private static readonly string Pragmas = "PRAGMA busy_timeout = 5000; " + WalCheckpointer.WriterPragmas;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        SqlitePragmasOnce.Apply((Microsoft.Data.Sqlite.SqliteConnection)connection, Pragmas);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        SqlitePragmasOnce.ApplyAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, Pragmas, cancellationToken);
}

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class DesignTimeStateDbContextFactory : IDesignTimeDbContextFactory<ConnectorStateDbContext>
{
    public ConnectorStateDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConnectorStateDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
