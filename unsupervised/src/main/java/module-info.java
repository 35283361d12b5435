/**
 * Lanes unsupervised: restricted Boltzmann machines (Bernoulli and Gaussian visible units,
 * contrastive divergence, persistent CD, Gibbs sampling, annealed importance sampling, exact
 * enumeration for small models), deep belief networks, autoencoders (dense, denoising,
 * convolutional), PCA, and the unsupervised programs of the {@code lanes} command.
 */
module dev.lanes.unsupervised {
    requires transitive dev.lanes.training;
    // The programs draw image grids (AWT, headless) and scatter plots (XChart).
    requires java.desktop;
    requires org.knowm.xchart;

    exports dev.lanes.unsupervised;

    // Commands of the lanes program (module training's ServiceLoader).
    provides dev.lanes.training.cli.Command with dev.lanes.unsupervised.cli.RbmCommand,
            dev.lanes.unsupervised.cli.CompleteCommand, dev.lanes.unsupervised.cli.CodesCommand,
            dev.lanes.unsupervised.cli.FeaturesCommand, dev.lanes.unsupervised.cli.RbmSpeedCommand;
}
