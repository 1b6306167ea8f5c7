/** The engine's version: report.json's `engine`, the CLI's `--version`, the R script's and RDML's software version. */
export const ENGINE_VERSION = '0.1.0';
