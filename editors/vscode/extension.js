// Starts `kalint lsp` for keepalived files: the server does all the work.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("kalint");
  const command = config.get("path") || "kalint";
  const rulesUrl = config.get("rulesUrl");
  client = new LanguageClient(
    "kalint",
    "kalint",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "keepalived" },
        { scheme: "untitled", language: "keepalived" },
        // templates (Jinja2, ERB, Go templates) keep their editor's language: matched by name
        { scheme: "file", pattern: "**/*keepalived*.{j2,jinja,jinja2,erb,epp,tmpl,gotmpl,tpl}" },
        { scheme: "file", pattern: "**/templates/**/{keepalived,vrrp}*" },
      ],
      initializationOptions: rulesUrl ? { rulesUrl } : {},
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
