using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PatrawinConnector.Domain.State.Migrations
{
    /// <inheritdoc />
    public partial class CursorPassStart : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PassStartedAt",
                table: "SyncCursors",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PassStartedAt",
                table: "SyncCursors");
        }
    }
}
