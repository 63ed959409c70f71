using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PatrawinConnector.Domain.State.Migrations
{
    /// <inheritdoc />
    public partial class LongPollStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Fetched",
                table: "PostingLedger",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "StatusReportedAt",
                table: "PostingLedger",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Fetched",
                table: "PostingLedger");

            migrationBuilder.DropColumn(
                name: "StatusReportedAt",
                table: "PostingLedger");
        }
    }
}
