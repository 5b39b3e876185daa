/** A type or word with its indefinite article, for messages: "an int", "a number". */
export function aOrAn(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}
