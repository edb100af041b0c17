/** Mocha's failure details from its last "N failing" line, cut to maxChars; '' when nothing failed. */
export function failureDetails(text: string, maxChars?: number): string;
