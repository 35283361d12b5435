/**
 * Lanes recurrent: simple RNN, LSTM and GRU layers (PyTorch's weight layout), embeddings,
 * time-distributed outputs, truncated backpropagation through time, and the recurrent curriculum
 * programs of the {@code lanes} command.
 */
module dev.lanes.recurrent {
    requires transitive dev.lanes.training;
    // The programs' charts: XChart draws with AWT (headless).
    requires java.desktop;
    requires org.knowm.xchart;

    exports dev.lanes.recurrent;

    // Commands of the lanes program (module training's ServiceLoader).
    provides dev.lanes.training.cli.Command with dev.lanes.recurrent.cli.RnnSpeedCommand,
            dev.lanes.recurrent.cli.FashionRowsCommand,
            dev.lanes.recurrent.cli.AddingProblemCommand,
            dev.lanes.recurrent.cli.Seq2SeqCommand,
            dev.lanes.recurrent.cli.CharLmCommand;
}
