/**
 * The plate format registry: every instrument format the importers know, in one list. The format names of the study
 * language (`plates "..." format <name>`, vocabulary PLATE_FORMATS), the `CqFormat` type, the importer dispatch and
 * the unknown-format message (./index.ts), which formats the plate editor can omit a well in (`cellEdit`), and how a
 * large file is streamed (./stream.ts) all derive from FORMATS.
 *
 * Detection is `detectFormat` in ./importers.ts: one ordered list of checks on the file's first 4000 characters,
 * where the order matters across formats (a QuantStudio `[Results]` section wins over everything else, the tidy
 * table is the fallback); `detection` below says what each format is recognised by.
 *
 * To add a format: an importer (./importers.ts or its own file), an entry here, a check in `detectFormat`, fixtures.
 */
import {
  importBioMark, importCfx, importDesignAnalysis, importLightCycler, importQuantStudio, importRotorGene, importTidy,
  type TextImport,
} from './importers';
import type { ImportContext } from './table';

/** The format names, in the order the study language lists them. */
export const FORMAT_NAMES = ['quantstudio', 'quantstudio-da', 'cfx', 'lightcycler', 'rotorgene', 'biomark', 'rdml', 'tidy'] as const;

/** Formats the importers recognise (`format` names in the study language). */
export type CqFormat = (typeof FORMAT_NAMES)[number];

export interface PlateFormat {
  name: CqFormat;
  /** Name shown to users. */
  display: string;
  /** What `detectFormat` recognises it by. */
  detection: string;
  /** The delimited-text importer; null for RDML (zip or XML: ./rdml.ts). */
  importer: ((ctx: ImportContext, opts: { target?: string }) => TextImport) | null;
  /**
   * The column the plate editor can omit a well in: 'omit' (true = omitted: Omit/Exclude), 'include' (false =
   * omitted: LightCycler's Include), or null (the instrument software has no such column, or ignores it).
   */
  omitColumn: 'omit' | 'include' | null;
  /**
   * A file over 50 MB (./stream.ts): 'blank' = its results table is streamed in blocks and ends at the first blank or
   * `[Section]` line; 'eof' = streamed in blocks to the end of the file; 'whole' = read and imported in one piece.
   */
  stream: 'blank' | 'eof' | 'whole';
}

export const FORMATS: readonly PlateFormat[] = [
  { name: 'quantstudio', display: 'QuantStudio/SDS', detection: '`* key = value` preamble, a [Results] section, an `SDS 2.x` first line or a headless SDS table',
    importer: importQuantStudio, omitColumn: 'omit', stream: 'blank' },
  { name: 'quantstudio-da', display: 'Design & Analysis', detection: '`# key: value` preamble and a Well Position + Cq/Ct/Amp Status header',
    importer: importDesignAnalysis, omitColumn: 'omit', stream: 'blank' },
  { name: 'cfx', display: 'CFX', detection: 'a Well + Fluor + Content/Type header',
    importer: importCfx, omitColumn: null, stream: 'blank' },
  { name: 'lightcycler', display: 'LightCycler', detection: 'an `Experiment:` first line, or an Include + Pos + Cp/Cq (or Position + CrossingPoint) header',
    importer: importLightCycler, omitColumn: 'include', stream: 'blank' },
  { name: 'rotorgene', display: 'Rotor-Gene', detection: '`Excel Analysed Data Export` first line, or a No. + Name + Ct/Type header',
    importer: importRotorGene, omitColumn: null, stream: 'whole' }, // several assay tables one after another, never large
  { name: 'biomark', display: 'BioMark', detection: 'a Chip Run / Application Version / Export Type first line, or an ID header with Chamber rows',
    importer: importBioMark, omitColumn: null, stream: 'blank' },
  { name: 'rdml', display: 'RDML', detection: 'a zip archive, or XML with an <rdml> root',
    importer: null, omitColumn: null, stream: 'whole' }, // not a table
  { name: 'tidy', display: 'tidy table', detection: 'a header row with sample, target and Cq columns (the fallback)',
    importer: importTidy, omitColumn: 'omit', stream: 'eof' },
];

const BY_NAME = new Map<string, PlateFormat>(FORMATS.map((f) => [f.name, f]));

/** The registry entry of a format. */
export function plateFormat(name: CqFormat): PlateFormat {
  return BY_NAME.get(name)!;
}

/** Whether `name` is a format name. */
export function isFormatName(name: string): name is CqFormat {
  return BY_NAME.has(name);
}
