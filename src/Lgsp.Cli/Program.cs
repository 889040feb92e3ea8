using Lgsp.Cli;

// The lgsp command: every subcommand is wired in LgspCommand.
return LgspCommand.Run(args);
