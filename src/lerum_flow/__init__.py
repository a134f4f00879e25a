"""lerum_flow: an event-sourced workflow engine for a Swedish municipality's styrmodell."""
