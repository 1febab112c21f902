import type { PickedFile } from './importer.svelte';

/** Files from an <input type=file>, with the folder path when a folder was picked. */
export function pickedFromInput(files: FileList | null): PickedFile[] {
  return Array.from(files ?? [], (file) => ({
    path: file.webkitRelativePath || file.name,
    file,
  }));
}

/** Files from a drop, walking into dropped folders. */
export async function pickedFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((entry) => entry === null)) return pickedFromInput(transfer.files);
  const picked: PickedFile[] = [];
  for (const entry of entries) if (entry) await walk(entry, '', picked);
  return picked;
}

async function walk(entry: FileSystemEntry, prefix: string, into: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    into.push({ path, file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most about 100 entries a call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, into);
  }
}
