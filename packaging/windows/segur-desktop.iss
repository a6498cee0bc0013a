; Inno Setup 6 script: a per-user installer for the frozen folder dist\segur-desktop\.
; Built by packaging\windows\build.ps1, which passes the version: ISCC /DAppVersion=0.1.0 segur-desktop.iss
; Per-user (no administrator rights): back-office staff rarely have them.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z segur-desktop.iss
#endif

[Setup]
AppId={{6B7E0C55-3C8A-4E64-9E0B-5A3C2D1F7A21}
AppName=Segur Desktop
AppVersion={#AppVersion}
AppPublisher=Segur Desktop
DefaultDirName={localappdata}\Programs\Segur Desktop
DefaultGroupName=Segur Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=segur-desktop-{#AppVersion}-installer
SetupIconFile=..\..\resources\icons\segur-desktop.ico
UninstallDisplayIcon={app}\segur-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\segur-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Segur Desktop"; Filename: "{app}\segur-desktop.exe"
Name: "{userdesktop}\Segur Desktop"; Filename: "{app}\segur-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\segur-desktop.exe"; Description: "{cm:LaunchProgram,Segur Desktop}"; Flags: nowait postinstall skipifsilent

; The user's data (settings, register, overrides) lives in %LOCALAPPDATA%\segur-desktop and is
; deliberately left in place on uninstall: reinstalling must not lose the register.
