/**
 * The ZIP container of an XLSX (APPNOTE 6.3, the subset spreadsheets use): deflate or stored
 * entries, no encryption, no ZIP64. node:zlib does the deflate and the CRC-32.
 *
 * Writing streams: an entry's data is deflated in batches as it is written (each batch ends
 * with a sync flush, so the batches concatenate into one deflate stream) and handed to the sink
 * at once; sizes and CRC follow in a data descriptor. Memory holds one batch, whatever the
 * length of the file. Reading goes through the central directory, with limits on entries and
 * on inflated bytes (a zip bomb stops at the limit, whatever sizes the directory claims).
 */
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export type Sink = (chunk: Buffer) => void;

/** A file that is not a ZIP we can read: why, in Chinese and in English ("中文 (English)"). */
export class ZipError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} (${en})`);
  }
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;
/** Bit 3: sizes and CRC in a descriptor after the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const STORED = 0;
/** 1980-01-01 00:00, the first DOS date: the files carry no clock. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** The final, empty deflate block that closes a stream of sync-flushed batches. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const LIMIT_4G = 0xffffffff;

/** Version needed (2.0), flags, method, time and date: the same 10 bytes in local and central headers. */
function entryFields(b: Buffer, at: number): void {
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(FLAGS, at + 2);
  b.writeUInt16LE(DEFLATE, at + 4);
  b.writeUInt16LE(DOS_TIME, at + 6);
  b.writeUInt16LE(DOS_DATE, at + 8);
}

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** One entry being written: `write` as often as needed, then `close`. */
export interface ZipEntry {
  write(data: string | Buffer): void;
  close(): void;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: Written[] = [];
  private open = false;

  constructor(private readonly sink: Sink) {}

  /** Bytes handed to the sink so far. */
  get bytes(): number {
    return this.offset;
  }

  private emit(chunk: Buffer): void {
    if (chunk.byteLength === 0) return;
    this.offset += chunk.byteLength;
    this.sink(chunk);
  }

  /** Starts an entry; its data goes out deflated, batch by batch, as it is written. */
  entry(path: string): ZipEntry {
    if (this.open) throw new Error(`zip: an entry is still open (${path})`);
    this.open = true;
    const name = Buffer.from(path, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    entryFields(header, 4);
    // CRC and sizes (14..25) stay 0: the descriptor carries them.
    header.writeUInt16LE(name.byteLength, 26);
    const written: Written = { name, crc: 0, compressed: 0, size: 0, offset: this.offset };
    this.emit(header);
    this.emit(name);
    let closed = false;
    return {
      write: (data) => {
        if (closed) throw new Error(`zip: ${path} is closed`);
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        if (bytes.byteLength === 0) return;
        written.crc = crc32(bytes, written.crc);
        written.size += bytes.byteLength;
        const out = deflateRawSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
        written.compressed += out.byteLength;
        this.emit(out);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.emit(FINAL_BLOCK);
        written.compressed += FINAL_BLOCK.byteLength;
        if (written.size > LIMIT_4G || written.compressed > LIMIT_4G || this.offset > LIMIT_4G) throw new Error('zip: over 4 GB needs ZIP64');
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(DESCRIPTOR, 0);
        descriptor.writeUInt32LE(written.crc, 4);
        descriptor.writeUInt32LE(written.compressed, 8);
        descriptor.writeUInt32LE(written.size, 12);
        this.emit(descriptor);
        this.entries.push(written);
        this.open = false;
      },
    };
  }

  /** A whole entry at once. */
  file(path: string, data: string | Buffer): void {
    const e = this.entry(path);
    e.write(data);
    e.close();
  }

  /** The central directory and its end record; nothing may be written after. */
  finish(): void {
    if (this.open) throw new Error('zip: an entry is still open');
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL, 0);
      h.writeUInt16LE(20, 4); // made by: version 2.0
      entryFields(h, 6);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.byteLength, 28);
      h.writeUInt32LE(e.offset, 42);
      this.emit(h);
      this.emit(e.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.emit(end);
  }
}

/** Builds a whole ZIP in memory (tests, small files). */
export function zipFiles(files: Record<string, string | Buffer>): Buffer {
  const chunks: Buffer[] = [];
  const zip = new ZipWriter((c) => chunks.push(c));
  for (const [path, data] of Object.entries(files)) zip.file(path, data);
  zip.finish();
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------- reading

export interface ZipLimits {
  /** Entries in the directory. */
  maxEntries: number;
  /** Inflated bytes of all the entries read, together. */
  maxTotalBytes: number;
}

export const DEFAULT_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 64 * 1024 * 1024 };

export interface ZipReader {
  readonly names: string[];
  has(path: string): boolean;
  /** The entry's bytes, inflated and checked against its CRC; undefined when absent. */
  read(path: string): Buffer | undefined;
}

interface DirEntry {
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function endRecord(bytes: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) if (bytes.readUInt32LE(i) === END) return i;
  throw new ZipError('找不到 ZIP 目录，文件不完整或不是 ZIP', 'no ZIP end record: truncated, or not a ZIP');
}

/** Opens a ZIP through its central directory; entries are inflated when read. */
export function openZip(bytes: Buffer, limits: ZipLimits = DEFAULT_LIMITS): ZipReader {
  if (bytes.length < 22) throw new ZipError('文件太短，不是 ZIP', 'too short to be a ZIP');
  const end = endRecord(bytes);
  const count = bytes.readUInt16LE(end + 10);
  const dirSize = bytes.readUInt32LE(end + 12);
  const dirStart = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || dirStart === LIMIT_4G) throw new ZipError('不支持 ZIP64', 'ZIP64 is not supported');
  if (count > limits.maxEntries) throw new ZipError(`ZIP 条目过多：${count} 个，上限 ${limits.maxEntries}`, `${count} entries, at most ${limits.maxEntries}`);
  if (dirStart + dirSize > end) throw new ZipError('ZIP 目录超出文件范围', 'the central directory lies outside the file');
  const dir = new Map<string, DirEntry>();
  let p = dirStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || bytes.readUInt32LE(p) !== CENTRAL) throw new ZipError('ZIP 目录已损坏', 'the central directory is corrupt');
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const flags = bytes.readUInt16LE(p + 8);
    if (flags & 1) throw new ZipError('ZIP 已加密，无法读取', 'the ZIP is encrypted');
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    dir.set(name.replace(/\\/g, '/').replace(/^\//, ''), {
      method: bytes.readUInt16LE(p + 10),
      crc: bytes.readUInt32LE(p + 16),
      compressed: bytes.readUInt32LE(p + 20),
      size: bytes.readUInt32LE(p + 24),
      offset: bytes.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  let inflated = 0;
  return {
    names: [...dir.keys()],
    has: (path) => dir.has(path),
    read(path) {
      const e = dir.get(path);
      if (!e) return undefined;
      const at = e.offset;
      if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) throw new ZipError(`ZIP 条目 ${path} 已损坏`, `bad local header of ${path}`);
      const dataStart = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
      if (dataStart + e.compressed > bytes.length) throw new ZipError(`ZIP 条目 ${path} 不完整`, `${path} runs past the end of the file`);
      const data = bytes.subarray(dataStart, dataStart + e.compressed);
      const room = limits.maxTotalBytes - inflated;
      let out: Buffer;
      if (e.method === STORED) out = data;
      else if (e.method === DEFLATE) {
        try {
          // Inflates at most `room` bytes (+1 to tell "exactly full" from "more").
          out = inflateRawSync(data, { maxOutputLength: Math.max(1, room + 1) });
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
          throw new ZipError(`ZIP 条目 ${path} 无法解压`, `cannot inflate ${path}: ${(error as Error).message}`);
        }
      } else throw new ZipError(`ZIP 条目 ${path} 的压缩方式 ${e.method} 不受支持`, `compression method ${e.method} of ${path} is not supported`);
      if (out.byteLength > room) throw tooLarge(limits);
      inflated += out.byteLength;
      if (out.byteLength !== e.size || crc32(out) !== e.crc) throw new ZipError(`ZIP 条目 ${path} 校验失败`, `size or CRC-32 of ${path} does not match`);
      return out;
    },
  };
}

function tooLarge(limits: ZipLimits): ZipError {
  const mb = Math.round(limits.maxTotalBytes / 1024 / 1024);
  return new ZipError(`解压后超过 ${mb} MB，文件过大或是压缩炸弹`, `inflates past ${mb} MB`);
}
