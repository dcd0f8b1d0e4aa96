/** Saves text as a file through a temporary object URL (no `downloads` permission needed). */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function dated(base: string, extension: string, now = new Date()): string {
  return `${base}-${now.toISOString().slice(0, 10)}.${extension}`;
}
