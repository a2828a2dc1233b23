#!/usr/bin/env bash
# Packages the VS Code extension (editors/vscode) as dist/smarketing-policy-vscode.vsix.
# Not part of `npm test`: it installs the extension's own dependencies (the language client,
# and @vscode/vsce to package). The grammar is copied in from editors/, its one source.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ext="$root/editors/vscode"
mkdir -p "$ext/syntaxes" "$root/dist"
cp "$root/editors/smarketing-policy.tmLanguage.json" "$ext/syntaxes/"
cd "$ext"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npx vsce package --skip-license --out "$root/dist/smarketing-policy-vscode.vsix"
echo "built $root/dist/smarketing-policy-vscode.vsix"
