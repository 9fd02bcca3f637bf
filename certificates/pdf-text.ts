/**
 * Text in Teeka's PDFs (certificates, appointment slips) in Latin and Devanagari. pdfkit's built-in Helvetica
 * covers only Latin-1, so Devanagari runs are set in Noto Sans Devanagari (the bundled @fontsource files; fontkit
 * shapes conjuncts and matras) and everything else stays Helvetica. The font is embedded only in a PDF that uses it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type Weight = 'regular' | 'bold';

const LATIN: Record<Weight, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
const DEVANAGARI: Record<Weight, string> = { regular: 'Devanagari', bold: 'Devanagari-Bold' };

const fontFile = (weight: 400 | 700) =>
  createRequire(import.meta.url).resolve(
    `@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-${weight}-normal.woff`,
  );
let fontBytes: { regular: Buffer; bold: Buffer } | undefined;
function devanagariFonts() {
  fontBytes ??= { regular: readFileSync(fontFile(400)), bold: readFileSync(fontFile(700)) };
  return fontBytes;
}

/** Devanagari letters, signs, joiners (ZWJ/ZWNJ shape conjuncts) and the Vedic and extended blocks. */
const DEVANAGARI_CHAR = /[\u0900-\u097F\u1CD0-\u1CF9\u200C\u200D\uA8E0-\uA8FF]/u;
/** A Devanagari run: Devanagari characters with the spaces and danda-like marks between them. */
const DEVANAGARI_RUN =
  /[\u0900-\u097F\u1CD0-\u1CF9\u200C\u200D\uA8E0-\uA8FF]+(?:\s+[\u0900-\u097F\u1CD0-\u1CF9\u200C\u200D\uA8E0-\uA8FF]+)*/gu;

export function hasDevanagari(text: string): boolean {
  return DEVANAGARI_CHAR.test(text);
}

/** The text cut into runs of one script each, in order. */
export function scriptRuns(text: string): Array<{ text: string; devanagari: boolean }> {
  const runs: Array<{ text: string; devanagari: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(DEVANAGARI_RUN)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index), devanagari: false });
    runs.push({ text: match[0], devanagari: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), devanagari: false });
  return runs;
}

/**
 * Helvetica covers only Latin-1 (WinAnsi); pdfkit writes anything else as broken glyph codes that garble the rest
 * of the line, so characters of other scripts (neither Latin-1 nor Devanagari) show as '?'.
 */
function latinPrintable(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
}

/** Registers the Devanagari faces on a document (read lazily: pdfkit opens a font only when it is used). */
export function registerScriptFonts(doc: PDFKit.PDFDocument): void {
  const { regular, bold } = devanagariFonts();
  doc.registerFont(DEVANAGARI.regular, regular);
  doc.registerFont(DEVANAGARI.bold, bold);
}

export interface MixedTextOptions extends PDFKit.Mixins.TextOptions {
  weight?: Weight;
}

/**
 * Writes one paragraph whose runs switch font by script, wrapping as one text. Position as `doc.text`: at (x, y)
 * when given, else where the document's cursor is.
 */
export function mixedText(
  doc: PDFKit.PDFDocument,
  text: string,
  at: { x?: number; y?: number },
  options: MixedTextOptions = {},
): PDFKit.PDFDocument {
  const { weight = 'regular', ...textOptions } = options;
  const runs = scriptRuns(text);
  if (runs.length === 0) runs.push({ text: '', devanagari: false });
  runs.forEach((run, index) => {
    const last = index === runs.length - 1;
    doc.font(run.devanagari ? DEVANAGARI[weight] : LATIN[weight]);
    const content = run.devanagari ? run.text : latinPrintable(run.text);
    const runOptions = { ...textOptions, continued: !last };
    if (index === 0 && at.x !== undefined) doc.text(content, at.x, at.y, runOptions);
    else doc.text(content, runOptions);
  });
  return doc.font(LATIN[weight]);
}
