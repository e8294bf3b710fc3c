// Placeholder replaced by the main example.
export async function main(): Promise<void> {}
if (require.main === module) void main();
