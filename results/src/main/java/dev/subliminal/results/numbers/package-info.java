/** The records of the in-process number experiment ({@code subliminal.numbers/1}) and their statistics. */
package dev.subliminal.results.numbers;
