/**
 * Soft-label leakage on random data (Behrens and Zdeborová, arXiv 2506.14457): a teacher memorises
 * random Gaussian inputs with uniformly random labels; a student from its own init is trained only on
 * the teacher's soft labels σ(f_T(x)/T) over part of them (or over fresh inputs) and is scored on the
 * memorised points it never saw, against their random labels. Its configuration ({@code LeakageConfig}),
 * one run ({@code LeakageRun}), the sweep grid ({@code experiment: leakage}, {@code LeakageGrid}) and the
 * sweep's records ({@code LeakageSweep}, schema {@code dev.subliminal.results.leakage.LeakageSchema}).
 */
package dev.subliminal.simulation.leakage;
