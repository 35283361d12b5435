/** Lanes training. */
module dev.lanes.training {
    requires transitive dev.lanes.layers;
    // Models written as autodiff functions (cnn-autodiff); users of the trainer get FunctionLayer.
    requires transitive dev.lanes.autodiff;
    // XChart draws the report charts with AWT (headless) and ImageIO writes the PNG files.
    requires java.desktop;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;

    exports dev.lanes.training;
    exports dev.lanes.training.adversarial;
    exports dev.lanes.training.checkpoint;
    exports dev.lanes.training.cli;
    exports dev.lanes.training.data;
    exports dev.lanes.training.init;
    exports dev.lanes.training.metrics;
    exports dev.lanes.training.models;
    exports dev.lanes.training.optim;
    exports dev.lanes.training.perceptron;
    exports dev.lanes.training.random;
    exports dev.lanes.training.report;
    exports dev.lanes.training.schedule;
    exports dev.lanes.training.search;

    // lanes COMMAND: commands from other modules (bench provides the kernel report).
    uses dev.lanes.training.cli.Command;
    // The curriculum's commands (lanes perceptron, ...), found like any other module's.
    provides dev.lanes.training.cli.Command with dev.lanes.training.cli.PerceptronCommand,
            dev.lanes.training.cli.AdversarialCommand, dev.lanes.training.cli.SearchCommand;
}
