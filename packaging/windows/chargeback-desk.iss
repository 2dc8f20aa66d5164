; Inno Setup script: the Windows installer of Chargeback Desk, from the PyInstaller folder
; dist\chargeback-desk (make bundle). Build with:
;   iscc /DAppVersion=0.1.0 packaging\windows\chargeback-desk.iss
; Per-user install (no administrator rights), a Start-menu entry, .cbdesk files open with the
; app, an upgrade replaces the program files in place, and uninstalling removes the program
; only: workspaces and settings in the user's profile are left alone.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Chargeback Desk"
#define AppExe "chargeback-desk.exe"
#define SourceDir "..\..\dist\chargeback-desk"

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{5C1E8E0B-7E2A-4C64-9E7B-6A1D2C3B9F41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Chargeback Desk
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=chargeback-desk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icon.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade starts from a clean program folder: files an older version had and this one
; does not (a library renamed) must not linger. User data is never here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .cbdesk workspaces open with the app (per user: HKCU\Software\Classes).
Root: HKA; Subkey: "Software\Classes\.cbdesk"; ValueType: string; ValueName: ""; ValueData: "ChargebackDesk.Workspace"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\ChargebackDesk.Workspace"; ValueType: string; ValueName: ""; ValueData: "Chargeback Desk workspace"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\ChargebackDesk.Workspace\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\ChargebackDesk.Workspace\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" gui --workspace ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
