# Build the Windows app and its installer. Run from the repository root in PowerShell:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs: Python 3.11+ (py launcher) and Inno Setup 6 (ISCC.exe on PATH, or in its default folder).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv)) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install --upgrade pip
.venv\Scripts\python -m pip install -e ".[package]"

# The frozen folder dist\segur-desktop\ (segur-desktop.exe windowed, segur-desktop-cli.exe console).
.venv\Scripts\pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging\segur-desktop.spec

# Refuse to package a build that does not run.
$env:QT_QPA_PLATFORM = "offscreen"
& dist\segur-desktop\segur-desktop-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "L'autotest de l'application gelée a échoué." }
Remove-Item Env:\QT_QPA_PLATFORM

$version = .venv\Scripts\python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
$iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $isccPath "/DAppVersion=$version" packaging\windows\segur-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup a échoué." }
Write-Host "Installateur : dist\segur-desktop-$version-installer.exe"
