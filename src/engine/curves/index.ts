/** The curve modules (issue 20): a plain re-export list. */
export * from './store';
