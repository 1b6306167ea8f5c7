/**
 * Raster figure files (PURE: bytes in, bytes out): a baseline TIFF encoder (RGB, 8 bits per sample, PackBits or
 * uncompressed, one strip) with the resolution in dpi in its XResolution/YResolution tags, and the pHYs chunk that
 * gives a PNG its dpi. The webview rasterises the figure's SVG at widthMm / 25.4 × dpi pixels and calls these.
 */
import { concatBytes, crc32 } from '../bytes';

/** Pixel width of a figure of this width (mm) at this resolution. */
export function pixelsFor(mm: number, dpi: number): number {
  return Math.round((mm / 25.4) * dpi);
}

/** PackBits (TIFF compression 32773) of one row. */
export function packBits(row: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < row.length) {
    let run = 1;
    while (i + run < row.length && run < 128 && row[i + run] === row[i]) run++;
    if (run >= 2) { out.push(257 - run, row[i]); i += run; continue; }
    let lit = 1;
    while (i + lit < row.length && lit < 128 && !(i + lit + 1 < row.length && row[i + lit] === row[i + lit + 1])) lit++;
    out.push(lit - 1);
    for (let k = 0; k < lit; k++) out.push(row[i + k]);
    i += lit;
  }
  return Uint8Array.from(out);
}

/** Inverse of packBits (for tests and readers). */
export function unpackBits(data: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0, o = 0;
  while (i < data.length && o < expected) {
    const n = data[i++];
    if (n < 128) { out.set(data.subarray(i, i + n + 1), o); o += n + 1; i += n + 1; }
    else if (n > 128) { out.fill(data[i++], o, o + 257 - n); o += 257 - n; }
  }
  return out;
}

export interface TiffOptions { dpi: number; packBits?: boolean }

/**
 * A little-endian baseline RGB TIFF of RGBA pixels (alpha composited on white), `dpi` in the resolution tags
 * (ResolutionUnit 2 = inch).
 */
export function encodeTiff(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray, o: TiffOptions): Uint8Array {
  if (!(width > 0 && height > 0) || rgba.length !== width * height * 4) throw new Error(`encodeTiff: ${rgba.length} bytes for ${width} × ${height} RGBA pixels`);
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(width * 3);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4, a = rgba[p + 3] / 255;
      for (let c = 0; c < 3; c++) row[x * 3 + c] = Math.round(rgba[p + c] * a + 255 * (1 - a));
    }
    rows.push(o.packBits ? packBits(row) : row);
  }
  const dataLen = rows.reduce((s, r) => s + r.length, 0);
  const tags: [number, number, number, number][] = []; // tag, type, count, value-or-offset
  const nTags = 13;
  const ifd = 8, extra = ifd + 2 + nTags * 12 + 4; // bits-per-sample (3 shorts), x/y resolution (rationals)
  const bps = extra, xres = bps + 6, yres = xres + 8, data = yres + 8;
  const SHORT = 3, LONG = 4, RATIONAL = 5;
  tags.push([256, LONG, 1, width], [257, LONG, 1, height], [258, SHORT, 3, bps], [259, SHORT, 1, o.packBits ? 32773 : 1],
    [262, SHORT, 1, 2], [273, LONG, 1, data], [277, SHORT, 1, 3], [278, LONG, 1, height], [279, LONG, 1, dataLen],
    [282, RATIONAL, 1, xres], [283, RATIONAL, 1, yres], [284, SHORT, 1, 1], [296, SHORT, 1, 2]);
  const buf = new Uint8Array(data + dataLen);
  const v = new DataView(buf.buffer);
  buf.set([0x49, 0x49]); v.setUint16(2, 42, true); v.setUint32(4, ifd, true);
  v.setUint16(ifd, nTags, true);
  tags.forEach(([tag, type, count, value], i) => {
    const at = ifd + 2 + i * 12;
    v.setUint16(at, tag, true); v.setUint16(at + 2, type, true); v.setUint32(at + 4, count, true);
    if (type === SHORT && count === 1) v.setUint16(at + 8, value, true);
    else v.setUint32(at + 8, value, true);
  });
  v.setUint32(ifd + 2 + nTags * 12, 0, true); // no next IFD
  for (let c = 0; c < 3; c++) v.setUint16(bps + 2 * c, 8, true);
  for (const at of [xres, yres]) { v.setUint32(at, Math.round(o.dpi), true); v.setUint32(at + 4, 1, true); }
  let p = data;
  for (const r of rows) { buf.set(r, p); p += r.length; }
  return buf;
}

/** The PNG with a pHYs chunk (pixels per metre for `dpi`) right after IHDR, replacing any pHYs it had. */
export function pngWithDpi(png: Uint8Array, dpi: number): Uint8Array {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (png.length < 33 || sig.some((b, i) => png[i] !== b)) throw new Error('pngWithDpi: not a PNG file');
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Uint8Array[] = [png.subarray(0, 8)];
  for (let p = 8; p + 8 <= png.length;) {
    const len = v.getUint32(p), type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    const whole = png.subarray(p, p + 12 + len);
    if (type !== 'pHYs') chunks.push(whole);
    if (type === 'IHDR') chunks.push(physChunk(dpi));
    p += 12 + len;
  }
  return concatBytes(chunks);
}

function physChunk(dpi: number): Uint8Array {
  const data = new Uint8Array(9);
  const v = new DataView(data.buffer);
  const ppm = Math.round(dpi / 0.0254);
  v.setUint32(0, ppm); v.setUint32(4, ppm); data[8] = 1; // unit: metre
  return pngChunk('pHYs', data);
}

/** A PNG chunk: data length, type, data, and the CRC-32 of type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}
