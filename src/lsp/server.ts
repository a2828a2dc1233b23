import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Location,
  type Range as LspRange,
  type TextEdit,
} from "vscode-languageserver/node";
import type * as A from "../lang/ast.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { formatSource } from "../lang/format.js";
import { assertNever } from "../lang/never.js";
import type { SourceFile } from "../lang/policy-set.js";
import type { Range } from "../lang/range.js";
import { markdownText, phraseMarkdown } from "../report/describe/render.js";
import { complete, type CompletionKind } from "./completion.js";
import { PolicyFolder } from "./folder.js";
import type { Occurrence } from "./occurrences.js";

export interface ServerOptions {
  /** Every *.policy file of a folder, with absolute paths (the CLI's loader, so both read alike). */
  readFolder(dir: string): Promise<SourceFile[]>;
  /** One file's text on disk, or undefined when it is gone. */
  readFile(file: string): Promise<string | undefined>;
}

/** A file URI's path; any other URI (an unsaved editor) stays as it is and is never read from disk. */
const toPath = (uri: string): string => (uri.startsWith("file:") ? fileURLToPath(uri) : uri);
const toUri = (file: string): string => (path.isAbsolute(file) ? pathToFileURL(file).href : file);

export function lspRange(r: Range): LspRange {
  return { start: { line: r.start.line - 1, character: r.start.column - 1 }, end: { line: r.end.line - 1, character: r.end.column - 1 } };
}

function lspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: lspRange(d.range),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "smarketing-policy",
    message: d.message,
  };
}

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  field: CompletionItemKind.Field,
  definition: CompletionItemKind.Class,
  team: CompletionItemKind.Module,
  calendar: CompletionItemKind.Constant,
  zone: CompletionItemKind.Value,
  value: CompletionItemKind.Value,
  sla: CompletionItemKind.Event,
};

/** A fields block (the leads' or the activities') as an outline entry with a child per field. */
function fieldsSymbol(name: string, block: A.FieldsBlock | A.ActivityFieldsBlock): DocumentSymbol {
  const children = block.fields.map((f) => ({ name: f.name.name, detail: f.type, kind: SymbolKind.Field, range: lspRange(f.range), selectionRange: lspRange(f.name.range) }));
  return { name, kind: SymbolKind.Struct, range: lspRange(block.range), selectionRange: lspRange(block.range), children };
}

function blockSymbol(block: A.Block): DocumentSymbol {
  switch (block.kind) {
    case "Agreement":
      return { name: block.title.value, detail: "agreement", kind: SymbolKind.Package, range: lspRange(block.range), selectionRange: lspRange(block.title.range) };
    case "Fields":
      return fieldsSymbol("fields", block);
    case "ActivityFields":
      return fieldsSymbol("activity fields", block);
    case "Team":
    case "Calendar":
    case "Lead":
    case "Sla":
    case "Goal":
    case "Waiver": {
      const kinds = { Team: SymbolKind.Module, Calendar: SymbolKind.Constant, Lead: SymbolKind.Class, Sla: SymbolKind.Event, Goal: SymbolKind.Number, Waiver: SymbolKind.Key } as const;
      const detail = block.kind === "Calendar" ? "calendar" : (block.title?.value ?? block.kind.toLowerCase());
      return { name: block.id.name, detail, kind: kinds[block.kind], range: lspRange(block.range), selectionRange: lspRange(block.id.range) };
    }
    default:
      return assertNever(block);
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What every handler shares: the connection, the open documents, and the folders' policy sets. */
interface Session {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  folderOf(file: string): Promise<PolicyFolder>;
  /** Whether the folder of this file has been read (a change to an unread folder waits until it is). */
  isRead(file: string): boolean;
  publish(folder: PolicyFolder): void;
  withDocument<T>(uri: string, fallback: T, use: (folder: PolicyFolder, file: string, doc: TextDocument) => T): Promise<T>;
}

function session(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions): Session {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const folders = new Map<string, Promise<PolicyFolder>>();
  const published = new Map<string, Set<string>>();

  // The policy set of a file is its folder (the layout SPEC §2 describes: policies/*.policy).
  // A document that is not a file (an unsaved editor) is a set of its own: no folder is read for it.
  const folderOf = (file: string): Promise<PolicyFolder> => {
    const onDisk = path.isAbsolute(file);
    const dir = onDisk ? path.dirname(file) : file;
    let folder = folders.get(dir);
    if (!folder) {
      folder = (onDisk ? options.readFolder(dir) : Promise.resolve([])).then((files) => new PolicyFolder(dir, files));
      folders.set(dir, folder);
    }
    return folder;
  };

  const publish = (folder: PolicyFolder): void => {
    const byFile = new Map<string, LspDiagnostic[]>(folder.paths().map((p) => [p, []]));
    for (const d of folder.analyzed.diagnostics) byFile.get(d.file)?.push(lspDiagnostic(d));
    const before = published.get(folder.dir) ?? new Set<string>();
    for (const gone of before) if (!byFile.has(gone)) byFile.set(gone, []);
    published.set(folder.dir, new Set(folder.paths()));
    for (const [file, diagnostics] of byFile) void connection.sendDiagnostics({ uri: toUri(file), diagnostics });
  };

  const withDocument = async <T>(uri: string, fallback: T, use: (folder: PolicyFolder, file: string, doc: TextDocument) => T): Promise<T> => {
    const doc = documents.get(uri);
    if (!doc) return fallback;
    const file = toPath(uri);
    return use(await folderOf(file), file, doc);
  };

  const isRead = (file: string) => folders.has(path.dirname(file));
  return { connection, documents, folderOf, isRead, publish, withDocument };
}

/** Keeps each folder's set in step with the editor: typing, closing, and changes on disk. */
function syncHandlers({ connection, documents, folderOf, isRead, publish }: Session, options: ServerOptions): void {
  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [" ", ",", ">"] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: true,
      documentFormattingProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: "smarketing-policy" },
  }));

  documents.onDidChangeContent(async ({ document }) => {
    const file = toPath(document.uri);
    const folder = await folderOf(file);
    folder.setOpen(file, document.getText());
    publish(folder);
  });

  documents.onDidClose(async ({ document }) => {
    const file = toPath(document.uri);
    const folder = await folderOf(file);
    folder.setClosed(file, await options.readFile(file));
    publish(folder);
  });

  // A file changed on disk but not open (a git checkout, another tool): read it again.
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    const touched = new Set<PolicyFolder>();
    for (const change of changes) {
      const file = toPath(change.uri);
      if (!file.endsWith(".policy") || documents.get(change.uri) || !isRead(file)) continue;
      const folder = await folderOf(file);
      folder.setClosed(file, await options.readFile(file));
      touched.add(folder);
    }
    for (const folder of touched) publish(folder);
  });
}

/** Hover, completion, definitions, references and document symbols: reading, never editing. */
function readingHandlers({ connection, withDocument }: Session): void {
  connection.onHover(({ textDocument, position }) =>
    withDocument(textDocument.uri, null, (folder, file, doc) => {
      const item = folder.describeAt(file, doc.offsetAt(position));
      if (!item) return null;
      const heading = item.title !== null ? `**${markdownText(item.title)}** (\`${item.id}\`)\n\n` : "";
      return { contents: { kind: "markdown" as const, value: `${heading}${phraseMarkdown(item.sentence)}` } };
    }),
  );

  connection.onCompletion(({ textDocument, position }) =>
    withDocument(textDocument.uri, [], (folder, _file, doc) =>
      complete(doc.getText({ start: { line: 0, character: 0 }, end: position }), folder.analyzed.symbols).map((s) => ({
        label: s.label,
        kind: COMPLETION_KINDS[s.kind],
        ...(s.insert !== undefined ? { insertText: s.insert } : {}),
        ...(s.detail !== undefined ? { detail: s.detail } : {}),
      })),
    ),
  );

  const location = (o: Occurrence): Location => ({ uri: toUri(o.file), range: lspRange(o.range) });

  connection.onDefinition(({ textDocument, position }) =>
    withDocument(textDocument.uri, [], (folder, file, doc) => {
      const o = folder.at(file, doc.offsetAt(position));
      return o ? folder.sameSymbol(o).filter((x) => x.declaration).map(location) : [];
    }),
  );

  connection.onReferences(({ textDocument, position, context }) =>
    withDocument(textDocument.uri, [], (folder, file, doc) => {
      const o = folder.at(file, doc.offsetAt(position));
      return o ? folder.sameSymbol(o).filter((x) => context.includeDeclaration || !x.declaration).map(location) : [];
    }),
  );

  connection.onDocumentSymbol(({ textDocument }) =>
    withDocument(textDocument.uri, [], (folder, file) => folder.file(file)?.blocks.map(blockSymbol) ?? []),
  );
}

/** Rename and formatting: the two requests that answer with edits. */
function editingHandlers({ connection, withDocument }: Session): void {
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withDocument(textDocument.uri, null, (folder, file, doc) => {
      if (!IDENTIFIER.test(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not an id: use letters, digits and _ and start with a letter`);
      const o = folder.at(file, doc.offsetAt(position));
      if (!o) return null;
      const changes: Record<string, TextEdit[]> = {};
      for (const x of folder.sameSymbol(o)) (changes[toUri(x.file)] ??= []).push({ range: lspRange(x.range), newText: newName });
      return { changes };
    }),
  );

  connection.onDocumentFormatting(({ textDocument }) =>
    withDocument(textDocument.uri, [], (_folder, file, doc) => {
      const result = formatSource(file, doc.getText());
      if (!result.ok || result.text === doc.getText()) return [];
      return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, newText: result.text }];
    }),
  );
}

/** The language server (SPEC §8.5) on the given streams: the CLI passes standard input and output. */
export function startLanguageServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions): Connection {
  const s = session(input, output, options);
  syncHandlers(s, options);
  readingHandlers(s);
  editingHandlers(s);
  s.documents.listen(s.connection);
  s.connection.listen();
  return s.connection;
}
