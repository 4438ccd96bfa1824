; Inno Setup script for photoscreen on Windows: a per-user install, no administrator rights.
; Built by .github/workflows/windows-bundle.yml after the bundle (dist\photoscreen):
;   iscc /DAppVersion=0.1.0 packaging\photoscreen.iss
; Output: dist\installer\photoscreen-setup-<version>.exe. Not runnable on Linux; see
; docs/packaging.md. Code signing is off unless the build defines SignTool (see there).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "photoscreen"
#define SourceDir "..\dist\photoscreen"

[Setup]
; A fixed id: upgrades replace the same installation instead of adding a second one.
AppId={{6F1D2B6C-5C7E-4D8A-9B3F-2E4A7C1D9E50}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=photoscreen
AppComments=Makes photos of children safe to post.
; Per user, under %LOCALAPPDATA%\Programs: no administrator rights, no UAC prompt.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\photoscreen.exe
UninstallDisplayName={#AppName}
OutputDir=..\dist\installer
OutputBaseFilename=photoscreen-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
; The licences are in the installed LICENSES folder; no licence page to click through.
#ifdef SignTool
; Defined by the build only when a certificate is configured (docs/packaging.md).
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Files]
; The whole one-folder bundle. Only these files are removed on uninstall.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\photoscreen.exe"; WorkingDir: "{userdocs}"
Name: "{userprograms}\{#AppName} (sample photos)"; Filename: "{app}\photoscreen.exe"; Parameters: "--demo"; WorkingDir: "{userdocs}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\photoscreen.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Put a photoscreen icon on the desktop"; Flags: unchecked

[Run]
Filename: "{app}\photoscreen.exe"; Description: "Start photoscreen now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only the files it
; installed. The photos, the sessions kept beside them (.photoscreen folders), the
; settings (registry, %APPDATA%\photoscreen) and the sample photos
; (%LOCALAPPDATA%\photoscreen\demo) all stay.
