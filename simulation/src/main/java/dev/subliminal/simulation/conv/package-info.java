/**
 * Small convolutional networks and their model family ({@code cnn}): the shapes ({@link
 * dev.subliminal.simulation.conv.ConvGeometry}), the batched passes written once in double
 * ({@link dev.subliminal.simulation.conv.DoubleConvNetwork}, with its generated float twin), the model
 * ({@link dev.subliminal.simulation.conv.Cnn}) and its specification
 * ({@link dev.subliminal.simulation.conv.ConvFamily}).
 */
package dev.subliminal.simulation.conv;
