using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PatrawinConnector.Domain.State.Migrations
{
    /// <inheritdoc />
    public partial class InitialState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PostingLedger",
                columns: table => new
                {
                    GroupId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Author = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ActivityCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Minutes = table.Column<int>(type: "INTEGER", nullable: true),
                    StartTimeUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PendingTimeIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    FirstReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostingLedger", x => x.GroupId);
                });

            migrationBuilder.CreateTable(
                name: "SandboxWiseTimeCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SandboxWiseTimeCalls", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PostingLedger_UpdatedAt",
                table: "PostingLedger",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxWiseTimeCalls_RecordedAt",
                table: "SandboxWiseTimeCalls",
                column: "RecordedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostingLedger");

            migrationBuilder.DropTable(
                name: "SandboxWiseTimeCalls");
        }
    }
}
