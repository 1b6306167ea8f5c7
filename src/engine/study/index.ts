/** The study language front end (docs/study-language.md): AST, parser, checks, completion, hover, outline. */
export * from './ast';
export { parseStudy, expandSequence, RESERVED, type ParseResult } from './parser';
export { lex, positionAt, offsetAt, lineStartsOf, type Token, type TokenKind, type LexResult } from './lexer';
export { checkStudy, collectSymbols, expressionType, referencedNames, type StudyContext, type ClinicalColumnInfo, type StudySymbols, type ValueType } from './check';
export { completions, type Completion, type CompletionKind } from './complete';
export { hover, type HoverResult } from './hover';
export { documentSymbols, type StudySymbol } from './symbols';
export { ANALYSIS_OPTIONS, QC_OPTIONS, FUNCTION_INFO, KEYWORD_DOCS, PLATE_FORMATS, type OptionSpec } from './vocabulary';
