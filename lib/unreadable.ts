/**
 * Why a file could not be read, in words for the person who named it: node's own message
 * ("ENOENT: no such file or directory, open '/x'") repeats the path and reads like a crash. Every command
 * that reads a file a person names (a key, a trusted keys file, a witness, a grants file, a supergraph)
 * says it this way.
 */
export function whyUnreadable(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'there is no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'this user may not read it';
  }
  // Anything else: node's first line, without the code prefix it starts with.
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return message.replace(/^[A-Z]+: /, '');
}
