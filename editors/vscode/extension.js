// The VS Code client: starts `smarketing-policy lsp --stdio` and hands .policy files to it.
// Plain CommonJS so the extension needs no build step; everything it does is in the server.
const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/** The setting, else the workspace's own install (the version its CI runs), else PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration("smarketingPolicy").get("server.path");
  if (configured) return configured;
  const bin = process.platform === "win32" ? "smarketing-policy.cmd" : "smarketing-policy";
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, "node_modules", ".bin", bin);
    if (fs.existsSync(local)) return local;
  }
  return bin;
}

async function activate(context) {
  const server = { command: serverCommand(), args: ["lsp", "--stdio"], options: { shell: process.platform === "win32" } };
  client = new LanguageClient(
    "smarketingPolicy",
    "smarketing-policy",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "smarketing-policy" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.policy") },
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
