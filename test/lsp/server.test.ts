import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  ExitNotification,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Location,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { ROOT, tempCopy } from "../helpers.js";

/**
 * The language server as an editor sees it: the built CLI started with `lsp --stdio`, driven by
 * a real JSON-RPC client over the child's standard input and output.
 */
describe("smarketing-policy lsp --stdio, driven over JSON-RPC", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: ChildProcessWithoutNullStreams;
  let client: ProtocolConnection;
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  let waiters: Array<() => void> = [];

  const uri = (name: string) => pathToFileURL(path.join(dir, name)).href;

  /** Waits until a diagnostics notification for `name` satisfies `ok`. */
  const diagnosticsFor = async (name: string, ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> => {
    for (;;) {
      const got = diagnostics.get(uri(name));
      if (got && ok(got.diagnostics)) return got.diagnostics;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const open = async (name: string, text?: string) => {
    const content = text ?? (await readFile(path.join(dir, name), "utf8"));
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(name), languageId: "smarketing-policy", version: 1, text: content } });
    return content;
  };

  /** The LSP position of the n-th occurrence of `needle` in `text`, plus `shift` characters. */
  const positionOf = (text: string, needle: string, shift = 0, nth = 0) => {
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' not in the text`);
    const before = text.slice(0, offset + shift);
    const line = before.split("\n").length - 1;
    return { line, character: before.length - before.lastIndexOf("\n") - 1 };
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempCopy(path.join(ROOT, "policies")));
    child = spawn(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "lsp", "--stdio"], { cwd: dir });
    client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    client.onNotification(PublishDiagnosticsNotification.type, (params) => {
      diagnostics.set(params.uri, params);
      const ready = waiters;
      waiters = [];
      for (const w of ready) w();
    });
    client.listen();
    const init = await client.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.renameProvider).toBe(true);
    await client.sendNotification(InitializedNotification.type, {});
  });

  afterAll(async () => {
    await client.sendRequest(ShutdownRequest.type);
    await client.sendNotification(ExitNotification.type);
    const exited = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(exited).toBe(0);
    client.dispose();
    await cleanup();
  });

  it("publishes no errors for the example, then a typo's diagnostic with its code and range", async () => {
    const text = await open("slas.policy");
    expect((await diagnosticsFor("slas.policy", () => true)).filter((d) => d.severity === 1)).toEqual([]);
    const typo = text.replace("leads sales_ready from became_sql_at        #", "leads sales_redy from became_sql_at        #");
    await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri("slas.policy"), version: 2 }, contentChanges: [{ text: typo }] });
    const found = await diagnosticsFor("slas.policy", (d) => d.some((x) => x.code === "E0203"));
    const e = found.find((x) => x.code === "E0203")!;
    expect(e.message).toContain("did you mean 'sales_ready'?");
    expect(e.range).toEqual({ start: positionOf(typo, "sales_redy"), end: positionOf(typo, "sales_redy", "sales_redy".length) });
    expect(e.source).toBe("smarketing-policy");
    await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri("slas.policy"), version: 3 }, contentChanges: [{ text }] });
    await diagnosticsFor("slas.policy", (d) => !d.some((x) => x.code === "E0203"));
  });

  it("checks the folder's files together: an edit in one file reports in another, and clears when undone", async () => {
    const leads = await open("leads.policy");
    await diagnosticsFor("slas.policy", (d) => !d.some((x) => x.code === "E0203"));
    const renamed = leads.replace("lead sales_ready ", "lead sales_qualified ");
    await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri("leads.policy"), version: 2 }, contentChanges: [{ text: renamed }] });
    try {
      const inSlas = await diagnosticsFor("slas.policy", (d) => d.some((x) => x.code === "E0203"));
      // first_touch, attempt_cap and mql_quality's `rate of` name it.
      expect(inSlas.filter((x) => x.code === "E0203").map((x) => x.message)).toEqual(Array(3).fill("unknown lead definition 'sales_ready'"));
    } finally {
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri("leads.policy"), version: 3 }, contentChanges: [{ text: leads }] });
    }
    await diagnosticsFor("slas.policy", (d) => !d.some((x) => x.code === "E0203"));
  });

  it("reads a file changed on disk again when the editor says so, and keeps an unsaved editor's text to itself", async () => {
    const goals = path.join(dir, "goals.policy");
    const before = await readFile(goals, "utf8");
    await open("slas.policy");
    await writeFile(goals, before.replace("funnel sales_ready -> won", "funnel sales_redy -> won"));
    try {
      await client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri("goals.policy"), type: FileChangeType.Changed }] });
      const found = await diagnosticsFor("goals.policy", (d) => d.some((x) => x.code === "E0203"));
      expect(found.find((x) => x.code === "E0203")!.message).toContain("'sales_redy'");
    } finally {
      await writeFile(goals, before);
      await client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri("goals.policy"), type: FileChangeType.Changed }] });
    }
    await diagnosticsFor("goals.policy", (d) => d.length === 0);
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: "untitled:Untitled-1", languageId: "smarketing-policy", version: 1, text: "lead x { when y }\n" } });
    for (;;) {
      const got = diagnostics.get("untitled:Untitled-1");
      if (got) {
        expect(got.diagnostics.map((d) => d.code)).toContain("E0104");
        break;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  });

  it("hover on an SLA's id gives its describe sentence; on a reference, the sentence of what it names", async () => {
    const text = await open("slas.policy");
    const onSla = (await client.sendRequest(HoverRequest.type, { textDocument: { uri: uri("slas.policy") }, position: positionOf(text, "first_touch", 2) })) as Hover;
    const value = (onSla.contents as MarkupContent).value;
    expect(value).toContain("**Sales makes a first attempt within 5 business hours** (`first_touch`)");
    expect(value).toContain("Sales makes a first touch (an activity whose type is “call” or “email”) on each `sales_ready` lead within 5 business hours");
    const onRef = (await client.sendRequest(HoverRequest.type, { textDocument: { uri: uri("slas.policy") }, position: positionOf(text, "leads mql", 7) })) as Hover;
    expect((onRef.contents as MarkupContent).value).toContain("A lead counts as `mql` (Marketing qualified lead) when");
  });

  it("completes fields after 'by', teams after 'owner', lead definitions after 'leads', clauses, time zones", async () => {
    const text = await open("slas.policy");
    const labels = async (position: { line: number; character: number }) =>
      ((await client.sendRequest(CompletionRequest.type, { textDocument: { uri: uri("slas.policy") }, position })) as CompletionItem[]).map((i) => i.label);
    const byFields = await labels(positionOf(text, "by product", "by ".length));
    expect(byFields).toEqual(expect.arrayContaining(["product", "owner", "country", "lead_score"]));
    expect(byFields).not.toContain("marketing");
    expect(await labels(positionOf(text, "owner marketing", "owner ".length))).toEqual(["marketing", "sales"]);
    expect(await labels(positionOf(text, "leads mql", "leads ".length))).toEqual(expect.arrayContaining(["inbound", "mql", "sales_ready", "won"]));
    expect(await labels(positionOf(text, "  per month", 2))).toEqual(expect.arrayContaining(["owner", "leads", "expect", "severity"]));
    const agreement = await open("agreement.policy");
    const zones = (await client.sendRequest(CompletionRequest.type, { textDocument: { uri: uri("agreement.policy") }, position: positionOf(agreement, 'timezone "America', "timezone ".length) })) as CompletionItem[];
    expect(zones.find((z) => z.label === "Europe/London")?.insertText).toBe('"Europe/London"');
  });

  it("goes to a definition in another file and finds its references in every file", async () => {
    const text = await open("slas.policy");
    const defs = (await client.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri("slas.policy") }, position: positionOf(text, "leads sales_ready", 8) })) as Location[];
    const leads = await readFile(path.join(dir, "leads.policy"), "utf8");
    expect(defs).toEqual([{ uri: uri("leads.policy"), range: { start: positionOf(leads, "lead sales_ready", 5), end: positionOf(leads, "lead sales_ready", 5 + "sales_ready".length) } }]);
    const refs = (await client.sendRequest(ReferencesRequest.type, { textDocument: { uri: uri("slas.policy") }, position: positionOf(text, "leads sales_ready", 8), context: { includeDeclaration: true } })) as Location[];
    expect(new Set(refs.map((r) => path.basename(new URL(r.uri).pathname)))).toEqual(new Set(["leads.policy", "slas.policy", "goals.policy"]));
  });

  it("renames a lead definition with edits in every file that names it", async () => {
    const text = await open("leads.policy");
    const edit = (await client.sendRequest(RenameRequest.type, { textDocument: { uri: uri("leads.policy") }, position: positionOf(text, "lead mql", 6), newName: "marketing_qualified" })) as WorkspaceEdit;
    const files = Object.keys(edit.changes ?? {}).map((u) => path.basename(new URL(u).pathname)).sort();
    expect(files).toEqual(["goals.policy", "leads.policy", "slas.policy"]);
    const slas = await readFile(path.join(dir, "slas.policy"), "utf8");
    const mentions = slas.match(/\bmql\b/g)?.length ?? 0;
    expect(edit.changes![uri("slas.policy")]!.length).toBe(mentions);
    expect(edit.changes![uri("slas.policy")]!.every((e) => e.newText === "marketing_qualified")).toBe(true);
    await expect(client.sendRequest(RenameRequest.type, { textDocument: { uri: uri("leads.policy") }, position: positionOf(text, "lead mql", 6), newName: "not an id" })).rejects.toThrow(/not an id/);
  });

  it("formats through fmt and lists a file's blocks as document symbols", async () => {
    const messy = 'lead   odd {when   lead_score>=1 since created_at}\n';
    await open("odd.policy", messy);
    const edits = await client.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: uri("odd.policy") }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits![0]!.newText).toBe("lead odd {\n  when lead_score >= 1\n  since created_at\n}\n");
    const symbols = (await client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri("leads.policy") } })) as Array<{ name: string }>;
    expect(symbols.map((s) => s.name)).toEqual(["inbound", "mql", "sales_ready", "won"]);
  });
});
