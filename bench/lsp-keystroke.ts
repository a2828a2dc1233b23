/**
 * The language server on a 500-definition, 500-SLA policy set split over five files, driven as an
 * editor drives it (JSON-RPC over the built CLI's stdio): per keystroke, the time from the edit
 * to its diagnostics; and the time of a hover and a completion. Median and 95th percentile, in ms.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { largePolicy } from "./large-policy.js";

const KEYSTROKES = 40;
const dir = mkdtempSync(path.join(os.tmpdir(), "smarketing-lsp-bench-"));
// One block per chunk, five files: cross-file ids must resolve on every keystroke.
const blocks = largePolicy(500, 500).split("\n\n");
const files = [0, 1, 2, 3, 4].map((i) => path.join(dir, `part${i}.policy`));
files.forEach((f, i) => writeFileSync(f, `${blocks.filter((_, j) => j % 5 === i).join("\n\n")}\n`));

const child = spawn(process.execPath, [path.resolve("dist/cli/main.js"), "lsp", "--stdio"], { cwd: dir });
const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let onDiagnostics: ((uri: string) => void) | undefined;
client.onNotification(PublishDiagnosticsNotification.type, (p) => onDiagnostics?.(p.uri));
client.listen();
await client.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });

const uri = pathToFileURL(files[4]!).href;
const text = blocks.filter((_, j) => j % 5 === 4).join("\n\n");
const until = (target: string) => new Promise<void>((resolve) => (onDiagnostics = (u) => u === target && resolve()));
let ready = until(uri);
await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "smarketing-policy", version: 1, text } });
await ready;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const keystrokes: number[] = [];
let typed = text;
for (let i = 0; i < KEYSTROKES; i++) {
  typed = typed.replace(/score >= (\d+)/, (_, n: string) => `score >= ${(Number(n) + 1) % 100}`);
  ready = until(uri);
  const start = performance.now();
  await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: typed }] });
  await ready;
  keystrokes.push(performance.now() - start);
}
const timed = async (request: () => Promise<unknown>) => {
  const out: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await request();
    out.push(performance.now() - start);
  }
  return out;
};
const lines = typed.split("\n");
const slaLine = lines.findIndex((l) => l.startsWith("sla "));
const hover = await timed(() => client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: slaLine, character: 5 } }));
const completion = await timed(() => client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: slaLine + 2, character: "  leads ".length } }));
await client.sendRequest(ShutdownRequest.type);
await client.sendNotification(ExitNotification.type);
client.dispose();
rmSync(dir, { recursive: true, force: true });

const round = (n: number) => Math.round(n * 10) / 10;
const summary = (xs: number[]) => ({ medianMs: round(percentile(xs, 0.5)), p95Ms: round(percentile(xs, 0.95)) });
process.stdout.write(`${JSON.stringify({ files: files.length, definitions: 500, slas: 500, keystrokeToDiagnostics: summary(keystrokes), hover: summary(hover), completion: summary(completion) })}\n`);
