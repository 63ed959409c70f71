using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PatrawinConnector.Domain.State.Migrations
{
    /// <inheritdoc />
    public partial class ExternalHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExternalHoursEntries",
                columns: table => new
                {
                    KimaiTimesheetId = table.Column<int>(type: "INTEGER", nullable: false),
                    CivicrmActivityId = table.Column<int>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    KimaiProjectId = table.Column<int>(type: "INTEGER", nullable: true),
                    CivicrmContactId = table.Column<int>(type: "INTEGER", nullable: true),
                    BeginUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: true),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastSyncedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalHoursEntries", x => x.KimaiTimesheetId);
                });

            migrationBuilder.CreateTable(
                name: "ExternalHoursMappings",
                columns: table => new
                {
                    KimaiProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    CivicrmContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectName = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    OrganisationName = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NeedsApply = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalHoursMappings", x => x.KimaiProjectId);
                });

            migrationBuilder.CreateTable(
                name: "ExternalHoursSync",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    CursorUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastWindowReconcileAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFullReconcileAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ActivityTypeValue = table.Column<int>(type: "INTEGER", nullable: true),
                    SyncFromUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalHoursSync", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalHoursEntries_BeginUtc",
                table: "ExternalHoursEntries",
                column: "BeginUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalHoursEntries_CivicrmActivityId",
                table: "ExternalHoursEntries",
                column: "CivicrmActivityId",
                unique: true,
                filter: "CivicrmActivityId IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalHoursEntries_KimaiProjectId",
                table: "ExternalHoursEntries",
                column: "KimaiProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalHoursEntries_State_NextAttemptAt",
                table: "ExternalHoursEntries",
                columns: new[] { "State", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExternalHoursEntries");

            migrationBuilder.DropTable(
                name: "ExternalHoursMappings");

            migrationBuilder.DropTable(
                name: "ExternalHoursSync");
        }
    }
}
