// Folder discovery must skip declaration files.
declare const ALSEK_CLI_FIXTURE: string;
