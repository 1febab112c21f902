import { imageKey } from '../labels/images';
import { classifyInputName } from '../input/input-files';

/** The image files below a directory handle, with their paths and match keys. */
export async function indexImageFolder(
  root: FileSystemDirectoryHandle,
): Promise<{ key: string; path: string }[]> {
  const found: { key: string; path: string }[] = [];
  const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
    for await (const entry of dir.values()) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.kind === 'directory') await walk(entry as FileSystemDirectoryHandle, path);
      else if (classifyInputName(path) === 'image') found.push({ key: imageKey(path), path });
    }
  };
  await walk(root, '');
  return found;
}

/**
 * Reads one image from a linked folder, or says why it cannot: the browser may need
 * the user to grant access again after a reload.
 */
export async function readFromFolder(
  root: FileSystemDirectoryHandle,
  path: string,
): Promise<{ blob: Blob } | { needsPermission: true } | { missing: true }> {
  const handle = root as FileSystemDirectoryHandle & {
    queryPermission?: (options: { mode: 'read' }) => Promise<PermissionState>;
  };
  if (handle.queryPermission && (await handle.queryPermission({ mode: 'read' })) !== 'granted') {
    return { needsPermission: true };
  }
  try {
    let dir = root;
    const parts = path.split('/');
    const fileName = parts.pop() ?? path;
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    const file = await (await dir.getFileHandle(fileName)).getFile();
    return { blob: file };
  } catch {
    return { missing: true };
  }
}

/** Asks the user (on a click) to let the page read the folder again. */
export async function requestFolderAccess(root: FileSystemDirectoryHandle): Promise<boolean> {
  const handle = root as FileSystemDirectoryHandle & {
    requestPermission?: (options: { mode: 'read' }) => Promise<PermissionState>;
  };
  if (!handle.requestPermission) return true;
  return (await handle.requestPermission({ mode: 'read' })) === 'granted';
}

/** Whether this browser can link a folder instead of copying it. */
export function canLinkFolders(): boolean {
  return (
    typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function'
  );
}

export async function pickFolder(): Promise<FileSystemDirectoryHandle | null> {
  const picker = (
    globalThis as { showDirectoryPicker?: (o?: object) => Promise<FileSystemDirectoryHandle> }
  ).showDirectoryPicker;
  if (!picker) return null;
  try {
    return await picker({ mode: 'read' });
  } catch {
    return null; // the user closed the picker
  }
}
