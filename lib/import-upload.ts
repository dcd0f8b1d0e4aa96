/**
 * How the options page sends a papers file to the background: in parts of at most
 * IMPORT_CHUNK_CHARS characters (`uploadImportChunk`), so no single message grows with the file
 * (Chrome refuses messages over 64 MiB of JSON). Imported by the page without the message schemas.
 */

/** Characters per `uploadImportChunk` message. */
export const IMPORT_CHUNK_CHARS = 4 * 1024 * 1024;

/** The parts of a file's text, in order (one part for an empty file). */
export function uploadParts(text: string, size = IMPORT_CHUNK_CHARS): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size)
    parts.push(text.slice(start, start + size));
  return parts.length > 0 ? parts : [''];
}
