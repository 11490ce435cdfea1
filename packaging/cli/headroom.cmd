@echo off
rem `headroom`, the command line of the desktop app on Windows (docs/desktop.md): the CLI inside
rem the app, run by the app's own Electron acting as Node (ELECTRON_RUN_AS_NODE=1, as VS Code's
rem code.cmd does). Installed as resources\bin\headroom.cmd; add resources\bin to PATH to run it
rem as `headroom`. The CLI is outside the archive, in resources\app.asar.unpacked.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Headroom.exe" "%~dp0..\app.asar.unpacked\dist\cli\headroom.cjs" %*
endlocal & exit /b %ERRORLEVEL%
